import type { Role } from '@cordon/contracts';
import type { Actor } from '@cordon/engine';

/** Who is making a request, as established by a session cookie or an API token. */
export interface Principal extends Actor {
  userId: string;
  username: string;
  displayName: string;
  unitId: string;
  /** Own unit and every unit below it. */
  unitIds: string[];
  roles: Role[];
  locale: 'vi' | 'en';
  via: 'session' | 'token';
  sessionIdHash?: string;
  csrfToken?: string;
  tokenId?: string;
  userVersion: number;
}

export const actorOf = (p: Principal) => ({ userId: p.userId, username: p.username, unitId: p.unitId });
