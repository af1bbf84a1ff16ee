import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CaseImportMode, CreateRiskMappingBody, CreateRiskRuleBody, ErrorBody, IdParams, RiskBulkOutcomesBody, RiskBulkOutcomesReport, RiskDeclarationPage,
  RiskDeclarationQuery, RiskDeclarationView, RiskDriftQuery, RiskDriftView, RiskHitRatesQuery, RiskHitRatesView, RiskImportReport, RiskMappingList, RiskMappingView, RiskModelActionBody,
  RiskModelList, RiskModelView, RiskOutcomeBody, RiskOutcomeView, RiskRuleBacktest, RiskRuleBacktestBody, RiskRuleList, RiskRuleView, RiskScoreBody, RiskScoreResponse, RiskTrainBody,
  RiskTrainJobView, UpdateRiskRuleBody, Uuid, RiskOfficeAssignBody, RiskOfficeList, RiskOfficeQuery, RenameRiskMappingBody, RiskOfficeImportBody, RiskOfficeImportReport,
} from '@cordon/contracts';
import { invalidField } from '../../errors.js';
import { requirePrincipal } from '../../http/auth.js';
import type { RiskService } from './risk.service.js';

/** Largest declarations file accepted over HTTP. */
export const RISK_IMPORT_MAX_BYTES = 50 * 1024 * 1024;

const MappingQuery = z.object({ mappingId: Uuid });

export async function riskRoutes(app: FastifyInstance, { risk }: { risk: RiskService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['risk'];
  const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  r.get('/api/risk/mappings', { schema: { tags, summary: 'Saved column mappings (Customs only)', response: { 200: RiskMappingList, ...errors } } }, async (req) => risk.listMappings(requirePrincipal(req)));

  r.post('/api/risk/mappings', { schema: { tags, summary: 'Save a column mapping (never edited afterwards: make a new one)', body: CreateRiskMappingBody, response: { 201: RiskMappingView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await risk.createMapping(requirePrincipal(req), req.body, req.id)));

  r.patch('/api/risk/mappings/:id', { schema: { tags, summary: 'Rename a mapping (with its version); its columns never change', params: IdParams, body: RenameRiskMappingBody, response: { 200: RiskMappingView, ...errors } } }, async (req) =>
    risk.renameMapping(requirePrincipal(req), req.params.id, req.body, req.id));

  r.post('/api/risk/import', {
    schema: {
      tags,
      summary: `Import declarations (and outcomes, from the label column) from CSV or XLSX through a saved mapping (multipart: "file", "mappingId", "mode"; at most ${RISK_IMPORT_MAX_BYTES / 1024 / 1024} MB). Idempotent by declaration id.`,
      consumes: ['multipart/form-data'],
      response: { 200: RiskImportReport, ...errors, 413: ErrorBody },
    },
  }, async (req) => {
    const p = requirePrincipal(req);
    if (!req.isMultipart()) throw invalidField('file', 'required', 'send the file as multipart/form-data in the field "file"');
    let file: { fileName: string; bytes: Buffer } | undefined;
    let mode: 'partial' | 'all_or_nothing' = 'partial';
    let mappingId: string | undefined;
    for await (const part of req.parts({ limits: { fileSize: RISK_IMPORT_MAX_BYTES, files: 1 } })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file') file = { fileName: part.filename || 'declarations.csv', bytes };
      } else if (part.fieldname === 'mode') {
        const m = CaseImportMode.safeParse(part.value);
        if (!m.success) throw invalidField('mode', 'invalid_value', 'is "partial" or "all_or_nothing"');
        mode = m.data;
      } else if (part.fieldname === 'mappingId') {
        const m = Uuid.safeParse(part.value);
        if (!m.success) throw invalidField('mappingId', 'invalid_format', 'is not a mapping id');
        mappingId = m.data;
      }
    }
    if (!mappingId) throw invalidField('mappingId', 'required', 'name the saved column mapping in the field "mappingId"');
    if (!file) throw invalidField('file', 'required', 'send the file in the multipart field "file"');
    return risk.importDeclarations(p, { mappingId, fileName: file.fileName, bytes: file.bytes, mode }, req.id);
  });

  r.get('/api/risk/imports/:id/errors.csv', { schema: { tags, summary: 'The problems of one of your imports as CSV', params: IdParams } }, async (req, reply) => {
    const e = await risk.importErrorsCsv(requirePrincipal(req), req.params.id);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${e.fileName.replace(/[^\x20-\x7e]|"/g, '_')}"`).send(e.csv);
  });

  r.get('/api/risk/declarations', { schema: { tags, summary: 'Declarations with their latest score and outcome', querystring: RiskDeclarationQuery, response: { 200: RiskDeclarationPage, ...errors } } }, async (req) =>
    risk.listDeclarations(requirePrincipal(req), req.query));

  r.get('/api/risk/declarations/:id', { schema: { tags, summary: 'One declaration: fields, latest score with its explanation, outcome', params: IdParams, response: { 200: RiskDeclarationView, ...errors } } }, async (req) =>
    risk.getDeclaration(requirePrincipal(req), req.params.id));

  r.put('/api/risk/declarations/:id/outcome', { schema: { tags, summary: 'Record (or correct, with its version) the inspection outcome of a declaration', params: IdParams, body: RiskOutcomeBody, response: { 200: RiskOutcomeView, ...errors } } }, async (req) =>
    risk.recordOutcome(requirePrincipal(req), req.params.id, req.body, req.id));

  r.post('/api/risk/outcomes', { schema: { tags, summary: 'Record many outcomes by declaration id (a correction replaces the earlier outcome)', body: RiskBulkOutcomesBody, response: { 200: RiskBulkOutcomesReport, ...errors } } }, async (req) =>
    risk.recordOutcomes(requirePrincipal(req), req.body, req.id));

  r.get('/api/risk/models', { schema: { tags, summary: 'Models of a mapping (newest first) with their validation metrics, and recent training jobs', querystring: MappingQuery, response: { 200: RiskModelList, ...errors } } }, async (req) =>
    risk.listModels(requirePrincipal(req), req.query.mappingId));

  r.post('/api/risk/models/train', { schema: { tags, summary: 'Train a model on the outcomes in the database; runs in the background: poll the job', body: RiskTrainBody, response: { 202: RiskTrainJobView, ...errors } } }, async (req, reply) =>
    reply.code(202).send(await risk.startTraining(requirePrincipal(req), req.body, { requestId: req.id })));

  r.get('/api/risk/jobs/:id', { schema: { tags, summary: 'A training job', params: IdParams, response: { 200: RiskTrainJobView, ...errors } } }, async (req) => risk.getJob(requirePrincipal(req), req.params.id));

  r.post('/api/risk/models/:id/promote', { schema: { tags, summary: 'Make a model the active one of its mapping (the previous one is retired)', params: IdParams, body: RiskModelActionBody, response: { 200: RiskModelView, ...errors } } }, async (req) =>
    risk.promote(requirePrincipal(req), req.params.id, req.body.version, req.id));

  r.post('/api/risk/models/:id/retire', { schema: { tags, summary: 'Retire a model', params: IdParams, body: RiskModelActionBody, response: { 200: RiskModelView, ...errors } } }, async (req) =>
    risk.retire(requirePrincipal(req), req.params.id, req.body.version, req.id));

  r.get('/api/risk/rules', { schema: { tags, summary: 'Selectivity rules of a mapping, with what each fired on and its hit rate (shadow rules included)', querystring: MappingQuery, response: { 200: RiskRuleList, ...errors } } }, async (req) =>
    risk.listRules(requirePrincipal(req), req.query.mappingId));

  r.post('/api/risk/rules', { schema: { tags, summary: 'Create a rule (shadow by default)', body: CreateRiskRuleBody, response: { 201: RiskRuleView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await risk.createRule(requirePrincipal(req), req.body, req.id)));

  r.post('/api/risk/rules/backtest', { schema: { tags, summary: 'Try draft rule conditions on the stored declarations: how many it selects and its hit rate among those with an outcome (nothing is saved)', body: RiskRuleBacktestBody, response: { 200: RiskRuleBacktest, ...errors } } }, async (req) =>
    risk.backtestRule(requirePrincipal(req), req.body));

  r.patch('/api/risk/rules/:id', { schema: { tags, summary: 'Change a rule: conditions, channel or weight, mode (active / shadow / retired), validity', params: IdParams, body: UpdateRiskRuleBody, response: { 200: RiskRuleView, ...errors } } }, async (req) =>
    risk.updateRule(requirePrincipal(req), req.params.id, req.body, req.id));

  r.post('/api/risk/score', {
    schema: { tags, summary: 'Score declarations with the active model and rules; channels under the red budget (≤ 5%), each with its reasons', body: RiskScoreBody, response: { 200: RiskScoreResponse, ...errors } },
    // Batches of up to 5,000 declarations with all their columns exceed the app's 1 MiB default.
    bodyLimit: 16 * 1024 * 1024,
  }, async (req) => risk.score(requirePrincipal(req), req.body, req.id));

  r.get('/api/risk/drift', { schema: { tags, summary: 'Scores of the last days against the active model\'s reference window, and hit rates per channel', querystring: RiskDriftQuery, response: { 200: RiskDriftView, ...errors } } }, async (req) =>
    risk.drift(requirePrincipal(req), req.query));

  r.get('/api/risk/hit-rates', { schema: { tags, summary: 'Hit rates per week or month: per channel, way of choosing (the random share), rule and office', querystring: RiskHitRatesQuery, response: { 200: RiskHitRatesView, ...errors } } }, async (req) =>
    risk.hitRates(requirePrincipal(req), req.query));

  r.get('/api/risk/offices', { schema: { tags, summary: 'Offices seen in a mapping\'s data with their declaration counts and the Customs unit each is assigned to (below the root: your units\' offices only)', querystring: RiskOfficeQuery, response: { 200: RiskOfficeList, ...errors } } }, async (req) =>
    risk.offices.list(requirePrincipal(req), req.query.mappingId));

  r.put('/api/risk/offices', { schema: { tags, summary: 'Assign offices to Customs units (unitId null removes it: root-level users only then); audited', body: RiskOfficeAssignBody, response: { 200: RiskOfficeList, ...errors } } }, async (req) =>
    risk.offices.assign(requirePrincipal(req), req.body, req.id));

  r.post('/api/risk/offices/import', { schema: { tags, summary: 'Assign offices to Customs units from a CSV text ("office code,unit code" per line); every bad line reported with its number; all_or_nothing by default; audited', body: RiskOfficeImportBody, response: { 200: RiskOfficeImportReport, ...errors } } }, async (req) =>
    risk.offices.importCsv(requirePrincipal(req), req.body, req.id));
}
