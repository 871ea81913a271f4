import { z } from 'zod';
import { objectIdString } from '../query-schemas.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { renderDossierPdf, type DossierFontConfig } from './pdf.ts';
import { DossierView } from './schemas.ts';
import type { DossierService } from './service.ts';

const DossierParams = z.strictObject({ id: objectIdString() });
const DossierQuery = z.strictObject({ format: z.enum(['json', 'pdf']).default('json') });

export function mountDossierRoutes(
  api: ApiRouter,
  deps: { dossiers: DossierService; font: DossierFontConfig },
): void {
  const { dossiers, font } = deps;

  api.get(
    '/cases/:id/dossier',
    {
      summary:
        "The escalation dossier for the case's consumer body (12315, CFPB, FTC, ...): the body's form, the platform's final response, the verified timeline and the evidence manifest; JSON or a printable PDF in the case's locale",
      tags: ['cases'],
      access: ['officer', 'compliance'],
      params: DossierParams,
      query: DossierQuery,
      responses: {
        200: {
          description: 'The dossier (application/json, or application/pdf with format=pdf)',
          schema: DossierView,
        },
        503: { description: 'format=pdf and the CJK font is not installed' },
      },
    },
    async ({ params, query, user }, _req, res) => {
      const dossier = await dossiers.build(user, params.id);
      if (query.format === 'json') {
        res.json(dossier);
        return;
      }
      const pdf = await renderDossierPdf(dossier, font);
      res
        .status(200)
        .type('application/pdf')
        .setHeader(
          'Content-Disposition',
          `attachment; filename="${dossier.case.reference}-dossier.pdf"`,
        )
        .setHeader('Cache-Control', 'no-store')
        .send(pdf);
    },
  );
}
