// Reading the kernel's CPU lists, which say where the benchmark's browser and servers may run.
import { describe, expect, it } from 'vitest';
import { coresOf, parseCpuList, planCoreSplit } from './cores';

describe('parseCpuList', () => {
  it('reads single cores, ranges and both', () => {
    expect(parseCpuList('0')).toEqual([0]);
    expect(parseCpuList('0-3')).toEqual([0, 1, 2, 3]);
    expect(parseCpuList('0-1,4,6-7\n')).toEqual([0, 1, 4, 6, 7]);
  });

  it('refuses what is not a CPU list, saying what it got', () => {
    expect(() => parseCpuList('0-a')).toThrow('not a CPU list: "0-a"');
  });
});

describe('planCoreSplit', () => {
  it('gives the browser the first half of this process cores, rounded up, and the servers the rest', () => {
    const plan = planCoreSplit();
    const allowed = coresOf('self');
    if ('reason' in plan) {
      // One core, no taskset or no /proc: nothing to split, and the reason says which.
      expect(plan.reason).toMatch(/taskset|one core|\/proc/);
      return;
    }
    expect([...plan.split.browser, ...plan.split.servers]).toEqual(allowed);
    expect(plan.split.browser.length).toBe(Math.ceil(allowed!.length / 2));
    expect(plan.split.servers.length).toBeGreaterThan(0);
  });
});
