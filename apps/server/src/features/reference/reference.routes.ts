import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  BorderGateList,
  BorderGateQuery,
  CountryList,
  ErrorBody,
  ForceList,
  GoodsCategoryList,
  HsCodeList,
  HsCodeParams,
  HsCodeView,
  HsQuery,
  PortList,
  PortQuery,
  ProvinceList,
  ProvinceShapes,
  ReferenceImportList,
  TransportRouteList,
  ViolationTypeList,
  WardList,
  WardQuery,
} from '@cordon/contracts';
import { FORCES, FORMER_PROVINCES, GOODS_CATEGORIES, PROVINCES, REPORT_GROUPS, TRANSPORT_ROUTES, VIOLATION_TYPES } from '@cordon/reference';
import { requirePrincipal, requireRole } from '../../http/auth.js';
import type { ReferenceService } from './reference.service.js';

/**
 * Reference data for every signed-in user: the catalogues built into Cordon, and the tables an
 * administrator loaded with `cordon reference import`. Loading itself is a CLI job, not an HTTP one.
 */
export async function referenceRoutes(app: FastifyInstance, deps: { reference: ReferenceService }) {
  const { reference } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reference'];
  // The catalogues are copied so the response serialiser never sees the frozen originals.
  r.get('/api/reference/provinces', { schema: { tags, summary: 'The 34 provinces (2025) and the 63 before, with the crosswalk', response: { 200: ProvinceList } } }, async (req) => {
    requirePrincipal(req);
    return { items: PROVINCES.map((p) => ({ ...p, mergedFrom: [...p.mergedFrom] })), former: FORMER_PROVINCES.map((p) => ({ ...p })) };
  });
  r.get('/api/reference/forces', { schema: { tags, summary: 'Member forces of the 389 committees', response: { 200: ForceList } } }, async (req) => {
    requirePrincipal(req);
    return { items: FORCES.map((f) => ({ ...f })) };
  });
  r.get('/api/reference/goods', { schema: { tags, summary: 'Goods categories', response: { 200: GoodsCategoryList } } }, async (req) => {
    requirePrincipal(req);
    return { items: GOODS_CATEGORIES.map((g) => ({ ...g, hsChapters: [...g.hsChapters] })) };
  });
  r.get('/api/reference/violation-types', { schema: { tags, summary: 'Violation types and their 389 report groups', response: { 200: ViolationTypeList } } }, async (req) => {
    requirePrincipal(req);
    return { items: VIOLATION_TYPES.map((v) => ({ ...v })), groups: REPORT_GROUPS.map((g) => ({ ...g })) };
  });
  r.get('/api/reference/routes', { schema: { tags, summary: 'Transport routes', response: { 200: TransportRouteList } } }, async (req) => {
    requirePrincipal(req);
    return { items: TRANSPORT_ROUTES.map((t) => ({ ...t })) };
  });
  r.get('/api/reference/wards', { schema: { tags, summary: 'Wards and communes (2025) of a province', querystring: WardQuery, response: { 200: WardList, 400: ErrorBody } } }, async (req) => {
    requirePrincipal(req);
    const { province, q, limit } = req.query;
    return { items: await reference.listWards({ provinceCode: province, q, limit }) };
  });
  r.get('/api/reference/hs', { schema: { tags, summary: 'Search HS codes by code prefix or words (diacritics optional)', querystring: HsQuery, response: { 200: HsCodeList, 400: ErrorBody } } }, async (req) => {
    requirePrincipal(req);
    return { items: await reference.searchHs(req.query) };
  });
  r.get('/api/reference/hs/:code', { schema: { tags, summary: 'One HS code', params: HsCodeParams, response: { 200: HsCodeView, 404: ErrorBody } } }, async (req) => {
    requirePrincipal(req);
    return reference.getHsCode(req.params.code);
  });
  r.get('/api/reference/border-gates', { schema: { tags, summary: 'Land border gates', querystring: BorderGateQuery, response: { 200: BorderGateList } } }, async (req) => {
    requirePrincipal(req);
    return { items: await reference.listBorderGates({ provinceCode: req.query.province }) };
  });
  r.get('/api/reference/ports', { schema: { tags, summary: 'Seaports and airports', querystring: PortQuery, response: { 200: PortList } } }, async (req) => {
    requirePrincipal(req);
    return { items: await reference.listPorts({ kind: req.query.kind, provinceCode: req.query.province }) };
  });
  r.get('/api/reference/countries', { schema: { tags, summary: 'Countries (ISO 3166-1)', response: { 200: CountryList } } }, async (req) => {
    requirePrincipal(req);
    return { items: await reference.listCountries() };
  });
  r.get('/api/reference/province-shapes', { schema: { tags, summary: 'Province outlines (2025) as GeoJSON', response: { 200: ProvinceShapes } } }, async (req, reply) => {
    requirePrincipal(req);
    // About 150 KB that changes only with an import: let the browser keep it for an hour.
    void reply.header('cache-control', 'private, max-age=3600');
    return reference.getProvinceShapes();
  });
  r.get('/api/reference/imports', { schema: { tags, summary: 'Import history (admin)', response: { 200: ReferenceImportList, 403: ErrorBody } } }, async (req) => {
    requireRole(req, 'admin');
    return { items: await reference.listImports() };
  });
}
