import { describe, expect, it } from 'vitest';
import { firstPerClass } from './sampling.ts';

describe('firstPerClass', () => {
  const labels = [3, 1, 1, 0, 3, 2, 1, 0, 2, 3];

  it('takes the first rows of each class, grouped in class order', () => {
    expect([...firstPerClass(labels, 2, null, 4)]).toEqual([3, 7, 1, 2, 5, 8, 0, 4]);
  });

  it('draws only from the candidates, in their order', () => {
    expect([...firstPerClass(labels, 1, [9, 6, 8, 7, 2], 4)]).toEqual([7, 6, 8, 9]);
  });

  it('lets a short class contribute what it has, and ignores labels outside the classes', () => {
    expect([...firstPerClass(labels, 3, null, 3)]).toEqual([3, 7, 1, 2, 6, 5, 8]);
    expect(firstPerClass(labels, 0)).toHaveLength(0);
  });
});
