import { describe, expect, it } from 'vitest';
import { nextUpdateStatus, updatePromptView, type UpdateNews, type UpdateStatus } from './updatePrompt.ts';

const after = (news: readonly UpdateNews[], runActive = false, from: UpdateStatus = 'current') =>
  news.reduce((status, item) => nextUpdateStatus(status, item, runActive), from);

describe('the Update prompt', () => {
  it('says nothing until a new version waits, then offers Update', () => {
    expect(updatePromptView('current', false)).toBeNull();
    expect(after(['new-version-waiting'])).toBe('waiting');
    expect(updatePromptView('waiting', false)).toEqual({
      message: 'A new version of the playground is ready.',
      action: 'Update',
      disabled: false,
      note: null,
    });
  });

  it('keeps Update disabled while a run trains, and says why', () => {
    expect(updatePromptView('waiting', true)).toMatchObject({
      action: 'Update',
      disabled: true,
      note: 'Available when the run ends: updating reloads the page.',
    });
    // Pressed anyway (a run started since): nothing happens.
    expect(after(['new-version-waiting', 'update-requested'], true)).toBe('waiting');
  });

  it('reloads only once Update was pressed here and the new version controls the page', () => {
    expect(after(['new-version-waiting', 'update-requested'])).toBe('updating');
    expect(updatePromptView('updating', false)).toMatchObject({ action: null, disabled: true });
    expect(after(['new-version-waiting', 'update-requested', 'new-version-controlling'])).toBe('reloading');
  });

  it('never reloads mid-run: a run started before the new version took over gets a Reload button', () => {
    const status = nextUpdateStatus('updating', 'new-version-controlling', true);
    expect(status).toBe('reload-needed');
    expect(updatePromptView(status, true)).toMatchObject({
      action: 'Reload',
      disabled: true,
      note: 'Available when the run ends: this reloads the page.',
    });
    expect(updatePromptView(status, false)).toMatchObject({ action: 'Reload', disabled: false, note: null });
  });

  it('a version let in from another tab asks for a reload instead of reloading this page', () => {
    expect(after(['new-version-controlling'])).toBe('reload-needed');
    expect(after(['new-version-waiting', 'new-version-controlling'])).toBe('reload-needed');
    // Later news does not bring the stale page back to "Update".
    expect(after(['new-version-waiting'], false, 'reload-needed')).toBe('reload-needed');
    expect(after(['update-requested'], false, 'reload-needed')).toBe('reload-needed');
  });
});
