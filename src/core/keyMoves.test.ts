import { describe, expect, it } from 'vitest';
import { keyMove, moveByKey, nextTabIndex } from './keyMoves.ts';

describe('keyMove', () => {
  it('reads the arrows, Home, End and Escape; Up and Down only where asked', () => {
    expect(['ArrowRight', 'ArrowLeft', 'Home', 'End', 'Escape'].map((k) => keyMove(k))).toEqual([
      'next',
      'previous',
      'first',
      'last',
      'clear',
    ]);
    expect(keyMove('ArrowDown')).toBeNull();
    expect(keyMove('ArrowDown', { upDown: true })).toBe('next');
    expect(keyMove('ArrowUp', { upDown: true })).toBe('previous');
    expect(keyMove('Enter')).toBeNull();
  });
});

describe('nextTabIndex', () => {
  it('wraps the arrows around, jumps on Home and End, ignores other keys', () => {
    expect(nextTabIndex('ArrowRight', 5, 6)).toBe(0);
    expect(nextTabIndex('ArrowLeft', 0, 6)).toBe(5);
    expect(nextTabIndex('ArrowRight', 1, 6)).toBe(2);
    expect(nextTabIndex('Home', 3, 6)).toBe(0);
    expect(nextTabIndex('End', 0, 2)).toBe(1);
    expect(nextTabIndex('Escape', 0, 2)).toBeNull();
    expect(nextTabIndex('ArrowDown', 0, 2)).toBeNull();
  });
});

describe('moveByKey', () => {
  it('runs only the handler the key asks for, and none for other keys', () => {
    const ran: string[] = [];
    const handler = (name: string) => () => {
      ran.push(name);
      return name;
    };
    const handlers = {
      next: handler('next'),
      previous: handler('previous'),
      first: handler('first'),
      last: handler('last'),
      clear: handler('clear'),
    };
    expect(moveByKey('End', handlers)).toBe('last');
    expect(moveByKey('ArrowUp', handlers)).toBeUndefined();
    expect(moveByKey('ArrowUp', handlers, { upDown: true })).toBe('previous');
    expect(ran).toEqual(['last', 'previous']);
  });
});
