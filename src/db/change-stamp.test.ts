import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChangeStamp } from './change-stamp.ts';

describe('createChangeStamp', () => {
  let dir: string;
  let own: Database.Database;
  let other: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'canvas-notes-stamp-'));
    own = new Database(join(dir, 'db.sqlite'));
    own.pragma('journal_mode = WAL');
    own.exec(`create table t (id integer primary key, v text);
      create table log (v text);
      create trigger t_log after update on t begin insert into log values (new.v); end;`);
    other = new Database(join(dir, 'db.sqlite'));
  });
  afterEach(() => {
    own.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays put while nothing is written, reads included', () => {
    const stamp = createChangeStamp(own);
    const before = stamp();
    own.prepare('select * from t').all();
    other.prepare('select * from t').all();
    expect(stamp()).toBe(before);
  });

  it.each([
    ['an insert', 'insert into t (id, v) values (1, ?)'],
    [
      'an upsert that updates',
      'insert into t (id, v) values (7, ?) on conflict (id) do update set v = excluded.v',
    ],
    ['an update to the same value', "update t set v = ? where id = 7 and v = 'seven'"],
    ['a delete', 'delete from t where id = 7 or v = ?'],
  ])('moves on %s by this connection', (_label, sql) => {
    own.exec("insert into t (id, v) values (7, 'seven')");
    const stamp = createChangeStamp(own);
    const before = stamp();
    own.prepare(sql).run('seven');
    expect(stamp()).not.toBe(before);
  });

  it('moves when another connection commits, and not before', () => {
    const stamp = createChangeStamp(own);
    const before = stamp();
    other.exec('begin immediate');
    other.exec("insert into t (v) values ('from a worker')");
    expect(stamp()).toBe(before);
    other.exec('commit');
    expect(stamp()).not.toBe(before);
  });

  it('moves on a write this connection rolls back', () => {
    const stamp = createChangeStamp(own);
    const before = stamp();
    expect(() =>
      own.transaction(() => {
        own.exec("insert into t (v) values ('undone')");
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(stamp()).not.toBe(before);
  });
});
