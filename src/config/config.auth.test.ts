import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const KEY = 'k'.repeat(32);

describe('loadConfig: API key and action limit', () => {
  it('needs no key on a loopback HOST, in any of its spellings', () => {
    for (const HOST of [
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      'localhost',
      'LOCALHOST',
    ]) {
      expect(loadConfig({ HOST }).auth, HOST).toEqual({ apiKey: undefined });
    }
    expect(loadConfig({}).auth.apiKey).toBeUndefined();
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'notes.example.org'])(
    'refuses to start on HOST=%s without a key, naming the fix',
    (HOST) => {
      const load = () => loadConfig({ HOST });
      expect(load).toThrow(/API_KEY: required when HOST \(.+\) is not a loopback address/);
      expect(load).toThrow(/openssl rand -hex 32/);
    },
  );

  it('starts on any HOST with a key of 32 characters, and keeps a key set on loopback', () => {
    expect(loadConfig({ HOST: '0.0.0.0', API_KEY: KEY }).auth.apiKey).toBe(KEY);
    expect(loadConfig({ API_KEY: ` ${KEY} ` }).auth.apiKey).toBe(KEY);
  });

  it('refuses a key too short or with spaces, without quoting it', () => {
    const short = 'short-secret-of-31-characters-x';
    expect(short).toHaveLength(31);
    const load = () => loadConfig({ HOST: '0.0.0.0', API_KEY: short });
    expect(load).toThrow(/API_KEY: must be at least 32 characters/);
    expect(load).not.toThrow(/short-secret/);
    // A short key is its own problem, not also a missing one.
    expect(load).not.toThrow(/required when HOST/);
    expect(() => loadConfig({ API_KEY: `${KEY} with spaces` })).toThrow(/API_KEY: must be printable ASCII/);
  });

  it('reports a missing key together with the other bad settings', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', PORT: 'eighty' })).toThrow(/PORT.*; API_KEY: required/);
  });

  it('limits actions to 60 a minute by default, configurable, 0 for none', () => {
    expect(loadConfig({}).rateLimit).toEqual({ actionsPerMinute: 60 });
    expect(loadConfig({ RATE_LIMIT_ACTIONS_PER_MINUTE: '5' }).rateLimit.actionsPerMinute).toBe(5);
    expect(loadConfig({ RATE_LIMIT_ACTIONS_PER_MINUTE: '0' }).rateLimit.actionsPerMinute).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_ACTIONS_PER_MINUTE: '-1' })).toThrow(
      /RATE_LIMIT_ACTIONS_PER_MINUTE/,
    );
  });

  it('trusts no proxy by default, and the listed ones, once each', () => {
    expect(loadConfig({}).http.trustProxy).toEqual([]);
    const config = loadConfig({
      API_KEY: KEY,
      TRUST_PROXY: ' 10.0.0.1, 10.0.0.0/8 ,loopback, fd00::/8, ::1, 10.0.0.1',
    });
    expect(config.http.trustProxy).toEqual(['10.0.0.1', '10.0.0.0/8', 'loopback', 'fd00::/8', '::1']);
  });

  it('refuses TRUST_PROXY without a key, even on a loopback HOST', () => {
    const load = () => loadConfig({ TRUST_PROXY: '127.0.0.1' });
    expect(load).toThrow(/API_KEY: required when TRUST_PROXY is set/);
    expect(load).toThrow(/openssl rand -hex 32/);
  });

  it('refuses entries that would trust every client or are not addresses, naming each', () => {
    const message = (() => {
      try {
        loadConfig({ API_KEY: KEY, TRUST_PROXY: 'true, *, 1, proxy.example, 10.0.0.0/33, 10.0.0.1' });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const entry of ['true', '*', '1']) {
      expect(message).toContain(`TRUST_PROXY: "${entry}" would believe any client`);
    }
    for (const entry of ['proxy.example', '10.0.0.0/33']) {
      expect(message).toContain(`TRUST_PROXY: "${entry}" is not an IP address`);
    }
    expect(message).not.toContain('"10.0.0.1"');
  });
});
