import type { Db } from '@cordon/db';
import type { Config } from './config.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createAuditService } from './features/audit/audit.service.js';
import { createAuthService } from './features/auth/auth.service.js';
import { createOrgService } from './features/org/org.service.js';
import { createAccessService } from './features/access/access.service.js';
import { createReferenceService } from './features/reference/reference.service.js';
import { createReportsService } from './features/reports/reports.service.js';
import { createCasesService } from './features/cases/cases.service.js';
import { createCaseLinksService } from './features/cases/joint/case-links.service.js';
import { createCaseSearchIndexer } from './features/cases/search-indexer.js';
import { createAttachmentsService } from './features/cases/attachments/attachments.service.js';
import { createUsersService } from './features/users/users.service.js';
import { createTipsService } from './features/tips/tips.service.js';
import { createTipRoutingService } from './features/tips/tip-routing.service.js';
import { createDirectivesService } from './features/directives/directives.service.js';
import { createTasksService } from './features/directives/tasks.service.js';
import { createComplianceService } from './features/directives/directives.compliance.js';
import { createCommendationsService } from './features/commendations/commendations.service.js';
import { createCustodyService } from './features/custody/custody.service.js';
import { createRiskService } from './features/risk/risk.service.js';
import { createSubjectSyncRunner } from './features/subjects/subject-sync-runner.js';
import { createSubjectsService } from './features/subjects/subjects.service.js';
import { createNetworksService } from './features/subjects/networks.service.js';
import { createSubjectProposalsService } from './features/subjects/subject-proposals.service.js';
import { createWatchlistsService } from './features/subjects/watchlists.service.js';
import { createRepeatSubjectsService } from './features/subjects/repeat-subjects.service.js';

/** Every service, built once from config, database and clock. Routes and the CLI use these. */
export function createServices(db: Db, config: Config, clock: Clock = systemClock) {
  const audit = createAuditService({ db, clock });
  const auth = createAuthService({ db, clock, audit, config });
  const org = createOrgService({ db, clock, audit });
  const users = createUsersService({ db, clock, audit });
  const access = createAccessService({ db, clock, audit });
  const reference = createReferenceService({ db });
  const caseLinks = createCaseLinksService({ db, clock, audit, access });
  const subjects = createSubjectsService({ db, clock, audit });
  // Entity resolution after cases change, in the background (started by main.ts; tests sync themselves).
  const subjectSync = createSubjectSyncRunner({ subjects });
  // Watchlist alerts are raised in the transaction that records a case (imported ones when indexed).
  // Tips are built below; their need-to-know rule is read only when alerts are listed.
  const watchlists = createWatchlistsService({ db, clock, audit, subjects, tipsVisible: (p, ids) => tips.visibleIds(p, ids) });
  const cases = createCasesService({ db, clock, audit, access, afterCreate: async (trx, id) => {
    await caseLinks.proposeFor(trx, id);
    await watchlists.alertFor(trx, id);
    subjectSync.nudge();
  }, afterSubjectsChange: async (trx, id, previousKeys) => {
    await watchlists.alertFor(trx, id, previousKeys);
    subjectSync.nudge();
  } });
  // Imported cases are proposed as joint cases when they are indexed, off the import's own path.
  // One statement set per indexer batch, not per case (most of the catch-up's cost after a big import was here).
  const searchIndexer = createCaseSearchIndexer({ db, afterIndex: async (trx, indexed) => {
    const imported = indexed.filter((c) => c.importId).map((c) => c.id);
    await caseLinks.proposeForMany(trx, imported);
    await watchlists.alertFor(trx, imported);
    if (imported.length) subjectSync.nudge();
  } });
  const attachments = createAttachmentsService({ db, clock, audit, access });
  const directives = createDirectivesService({ db, clock, audit });
  const tasks = createTasksService({ db, clock, audit });
  const compliance = createComplianceService({ db, clock });
  const commendations = createCommendationsService({ db, clock, audit });
  const reports = createReportsService({ db, clock, compliance: compliance.situationSection, smallCellThreshold: config.reportSmallCell });
  const tips = createTipsService({ db, clock, audit, cases, acknowledgeDays: config.tipAcknowledgeDays, concludeDays: config.tipConcludeDays, secretMaxFailures: config.tipSecretMaxFailures, afterIntake: (trx, id, text) => watchlists.alertForTip(trx, id, text) });
  const tipRouting = createTipRoutingService({ db, clock, audit, cases });
  const custody = createCustodyService({ db, clock, audit, access, cases, handlingRules: config.custodyHandlingRules });
  const risk = createRiskService({ db, clock, audit });
  const networks = createNetworksService({ db, subjects });
  const subjectProposals = createSubjectProposalsService({ db, clock, audit, subjects });
  const repeatSubjects = createRepeatSubjectsService({ db, subjects, proposals: subjectProposals });
  return { db, config, clock, audit, auth, org, users, access, reference, cases, caseLinks, searchIndexer, subjectSync, attachments, reports, tips, tipRouting, custody, directives, tasks, compliance, commendations, risk, subjects, networks, subjectProposals, watchlists, repeatSubjects };
}

export type Services = ReturnType<typeof createServices>;
