import { describe, expect, it } from 'vitest';
import { databaseOf, describeUrl, majorFromAptDepends, parseClusters, postgisPackage, quoteIdent, socketUrl, withDatabase } from './local-postgres.ts';

describe('connection strings', () => {
  it('switches the database of TCP and unix-socket URLs, keeping role and host', () => {
    expect(withDatabase('postgresql://postgres:secret@127.0.0.1:5432/postgres', 'ecc')).toBe('postgresql://postgres:secret@127.0.0.1:5432/ecc');
    const socket = socketUrl('/var/run/postgresql', 'root', 'postgres', '5499');
    expect(withDatabase(socket, 'ecc_test_1')).toBe('postgresql:///ecc_test_1?host=/var/run/postgresql&port=5499&user=root');
    expect(databaseOf(withDatabase(socket, 'ecc_test_1'))).toBe('ecc_test_1');
  });

  it('describes a URL without its password', () => {
    expect(describeUrl('postgresql://ecc:hunter2@db.example:6543/ecc')).toBe('db.example:6543/ecc');
    expect(describeUrl(socketUrl('/var/run/postgresql', 'root', 'ecc'))).toBe('/var/run/postgresql:5432/ecc');
    expect(describeUrl('not a url')).toBe('the given DATABASE_URL');
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('ecc_test_1')).toBe('"ecc_test_1"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('Debian package facts', () => {
  it('reads the major version the postgresql metapackage depends on', () => {
    expect(majorFromAptDepends('postgresql\n  Depends: postgresql-15\n  Suggests: postgresql-doc\n')).toBe(15);
    expect(majorFromAptDepends('postgresql\n  Depends: postgresql-common\n')).toBeUndefined();
    expect(postgisPackage(16)).toBe('postgresql-16-postgis-3');
  });

  it('parses pg_lsclusters output', () => {
    const output = [
      '15  main    5432 online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log',
      '16  other   5433 down   postgres /var/lib/postgresql/16/other /var/log/postgresql/postgresql-16-other.log',
      '',
    ].join('\n');
    expect(parseClusters(output)).toEqual([
      { version: 15, name: 'main', port: 5432, online: true, owner: 'postgres' },
      { version: 16, name: 'other', port: 5433, online: false, owner: 'postgres' },
    ]);
  });
});
