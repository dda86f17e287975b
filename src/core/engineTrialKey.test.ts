import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.ts';
import { browserVersion, engineTrialKey, modelShape, type DeviceDescription } from './engineTrialKey.ts';

describe('the cache key', () => {
  const device: DeviceDescription = {
    gpuAdapter: 'google / swiftshader / SwiftShader Device (Subzero)',
    webglRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
    cores: 2,
    browser: 'Chrome 156',
    crossOriginIsolated: true,
  };

  it('names the device, the model shape and the backend choice', () => {
    expect(engineTrialKey(device, modelShape(DEFAULT_CONFIG), 'auto')).toBe(
      'Chrome 156 | 2 cores | isolated | webgpu: google / swiftshader / SwiftShader Device (Subzero) | webgl: ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver) | 784-128-64-10 | bn 00 | batch 128 | adam | backend auto',
    );
  });

  it('changes with what changes relative speed, and only with that', () => {
    const key = (config = DEFAULT_CONFIG) => engineTrialKey(device, modelShape(config), 'auto');
    const withBatchNorm = {
      ...DEFAULT_CONFIG,
      model: {
        ...DEFAULT_CONFIG.model,
        hiddenLayers: DEFAULT_CONFIG.model.hiddenLayers.map((l) => ({ ...l, batchNorm: true })),
      },
    };
    expect(key(withBatchNorm)).not.toBe(key());
    expect(key({ ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, batchSize: 64 } })).not.toBe(
      key(),
    );
    expect(key({ ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'sgd' } })).not.toBe(
      key(),
    );
    expect(key({ ...DEFAULT_CONFIG, seed: 7 })).toBe(key());
    expect(key({ ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, epochs: 20 } })).toBe(key());
  });

  it('reads the browser and its major version from the user agent', () => {
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.114 Safari/537.36';
    expect(browserVersion(chrome)).toBe('Chrome 156');
    expect(browserVersion('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe(
      'Firefox 140',
    );
    expect(
      browserVersion(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
      ),
    ).toBe('Safari 18');
    expect(
      browserVersion(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0',
      ),
    ).toBe('Edge 156');
    expect(browserVersion('Node.js/20')).toBe('Node 20');
  });
});
