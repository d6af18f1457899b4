// The demo's users (listed in the README). Re-running keeps existing users and their passwords.
import type { Queryable } from '../infra/db.ts';
import type { Role } from '../contracts/auth.ts';
import { hashPassword } from './password.ts';

export const demoUsers: ReadonlyArray<{
  username: string;
  displayName: string;
  role: Role;
  jurisdiction: string;
  mayExportPersonalData?: boolean;
}> = [
  { username: 'admin', displayName: '系统管理员 System admin', role: 'admin', jurisdiction: '310000' },
  { username: 'command', displayName: '市防控指挥部值班员 Command duty officer', role: 'command', jurisdiction: '310000' },
  { username: 'pudong', displayName: '浦东新区防控办 Pudong district office', role: 'district_official', jurisdiction: '310115', mayExportPersonalData: true },
  { username: 'lujiazui', displayName: '陆家嘴街道办 Lujiazui street office', role: 'street_official', jurisdiction: '310115005', mayExportPersonalData: true },
  { username: 'grid01', displayName: '潍坊一村网格员 Weifang No.1 grid worker', role: 'grid_worker', jurisdiction: '310115004001' },
  { username: 'team01', displayName: '第一督查组组长 Inspection team 1 leader', role: 'team_leader', jurisdiction: '310000' },
  { username: 'wall', displayName: '指挥中心大屏 Command wall display', role: 'wall', jurisdiction: '310000' },
];

export async function seedDemoUsers(db: Queryable, password: string): Promise<number> {
  let created = 0;
  for (const user of demoUsers) {
    const result = await db.query(
      `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, may_export_personal_data)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING`,
      [user.username, user.displayName, await hashPassword(password), user.role, user.jurisdiction, user.mayExportPersonalData ?? false],
    );
    created += result.rowCount ?? 0;
  }
  return created;
}
