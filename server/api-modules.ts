import { mountAuthRoutes } from './auth/routes.ts';
import type { AuthService } from './auth/service.ts';
import { mountCaseRoutes } from './cases/routes.ts';
import type { CaseService } from './cases/service.ts';
import { mountDossierRoutes } from './dossier/routes.ts';
import type { DossierService } from './dossier/service.ts';
import { mountEvidenceRoutes } from './evidence/routes.ts';
import type { EvidenceService } from './evidence/service.ts';
import { mountExportRoutes } from './exports/routes.ts';
import type { ExportService } from './exports/service.ts';
import { mountNotificationRoutes } from './notifications/routes.ts';
import type { NotificationService } from './notifications/service.ts';
import { mountUserRoutes } from './users/routes.ts';
import { mountComplainantRoutes } from './users/complainant-routes.ts';
import type { PasswordLinks } from './users/password-links.ts';
import { mountSelfHelpRoutes } from './self-help/routes.ts';
import type { SelfHelpService } from './self-help/service.ts';
import type { UserService } from './users/service.ts';
import type { ApiRouter } from './http/api-router.ts';
import type { Idempotency } from './http/idempotency.ts';

export interface ModuleServices {
  auth: AuthService;
  users: UserService;
  cases: CaseService;
  evidence: EvidenceService;
  exports: ExportService;
  dossiers: DossierService;
  notifications: NotificationService;
  selfHelp: SelfHelpService;
  passwordLinks: PasswordLinks;
  idempotency: Idempotency;
  registrationOpen: boolean;
  dossierFont: Parameters<typeof mountDossierRoutes>[1]['font'];
}

/**
 * Every domain module's endpoints, in one list: the server mounts them over its services, and
 * the web app's API types are generated from the same list (scripts/web-types.ts).
 */
export function apiModules(s: ModuleServices): ((api: ApiRouter) => void)[] {
  return [
    (api) =>
      mountAuthRoutes(api, {
        auth: s.auth,
        users: s.users,
        registrationOpen: s.registrationOpen,
        passwordLinks: s.passwordLinks,
      }),
    (api) => mountUserRoutes(api, { users: s.users, auth: s.auth }),
    (api) =>
      mountComplainantRoutes(api, {
        users: s.users,
        passwordLinks: s.passwordLinks,
        mailer: s.notifications,
      }),
    (api) => mountSelfHelpRoutes(api, { selfHelp: s.selfHelp }),
    (api) => mountCaseRoutes(api, { cases: s.cases, idempotency: s.idempotency }),
    (api) => mountEvidenceRoutes(api, { evidence: s.evidence, idempotency: s.idempotency }),
    (api) => mountExportRoutes(api, { exports: s.exports }),
    (api) => mountDossierRoutes(api, { dossiers: s.dossiers, font: s.dossierFont }),
    (api) => mountNotificationRoutes(api, { notifications: s.notifications }),
  ];
}
