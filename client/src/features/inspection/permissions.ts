// What the signed-in user may do on the page, as the API decides it (server/inspection, server/routing):
// the command centre plans the day for every team; a team leader locks, moves and records for their
// own team only (403 otherwise); officials and grid workers read.
import type { SessionUser, Team } from '../../../../server/contracts/index.ts';

export interface Abilities {
  /** The team the user leads (team leaders), else null. */
  ownTeamId: number | null;
  canPlan: boolean;
  /** Lock, move, record and submit for this team. */
  canActFor: (teamId: number) => boolean;
}

export function abilities(user: SessionUser, teams: readonly Team[]): Abilities {
  const manager = user.role === 'admin' || user.role === 'command';
  const ownTeamId = user.role === 'team_leader' ? (teams.find((team) => team.leaderUsername === user.username)?.id ?? null) : null;
  return {
    ownTeamId,
    canPlan: manager,
    canActFor: (teamId) => manager || (ownTeamId !== null && ownTeamId === teamId),
  };
}
