// Reading one cookie out of a Cookie header, as the browser and the gateway both do.
import { describe, expect, it } from 'vitest';
import { cookieValue } from './cookies';

describe('cookieValue', () => {
  it('finds one cookie among others, by its exact name', () => {
    const header = 'a=1; test.colorMode=%22dark%22;b=2 ; xtest.colorMode=no';
    expect(cookieValue(header, 'test.colorMode')).toBe('%22dark%22');
    expect(cookieValue(header, 'b')).toBe('2');
    expect(cookieValue(header, 'colorMode')).toBeUndefined();
    expect(cookieValue('', 'a')).toBeUndefined();
  });
});
