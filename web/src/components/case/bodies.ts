import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Workflow = Schemas['Workflow'];
type Duration = Schemas['Duration'];

/** The workflow and its policy change with a deployment only: fetched once per visit. */
export function useWorkflow() {
  return useQuery({
    queryKey: ['workflow'],
    queryFn: () => unwrap(api.GET('/api/v1/workflow')),
    staleTime: Infinity,
  });
}

function policyKey(workflow: Workflow, country: string): string {
  const rows = workflow.policy.jurisdictions;
  if (country !== 'default' && Object.hasOwn(rows, country)) return country;
  if ((workflow.policy.euStates as string[]).includes(country)) return 'EU';
  return 'default';
}

export interface BodyInfo {
  /** 12315, CFPB, FTC, FOS, ADR-DE */
  code: string;
  /** The policy's own name (English), when the catalog has no words for the code. */
  name: string;
  /** How long the company has for its final response before the case may go to the body. */
  finalResponse: Duration;
}

/** Who takes a complaint further for this country and kind of company, and after how long. */
export function bodyFor(workflow: Workflow, country: string, kind: string): BodyInfo | null {
  const row = workflow.policy.jurisdictions[policyKey(workflow, country)];
  const body = row?.consumerBody;
  if (!row || !body) return null;
  const chosen = body.byRespondentKind?.[kind as 'platform'] ?? body;
  return {
    code: chosen.code.replaceAll('{country}', country),
    name: chosen.name.replaceAll('{country}', country),
    finalResponse: row.deadlines.finalResponse,
  };
}

/**
 * The facts the body for this country and kind of company requires before it takes a case
 * (the policy's `bodyRequirements`, fact codes such as `complainant.phone`); none without a body.
 */
export function bodyRequirements(workflow: Workflow, country: string, kind: string): string[] {
  const byKind = workflow.policy.bodyRequirements[policyKey(workflow, country) as 'default'];
  return [...(byKind?.[(kind || 'platform') as 'platform'] ?? [])];
}

/**
 * A consumer body's name in the page's language: `body.<code>` from the catalog, the national
 * ADR bodies (ADR-DE) as one phrase with the country, else the policy's own name.
 */
export function bodyName(
  tDynamic: (key: string, values?: Record<string, string | number>) => string,
  code: string,
  countryName: (code: string) => string,
  fallback = code,
): string {
  const adr = /^ADR-([A-Z]{2})$/.exec(code);
  if (adr) return tDynamic('body.ADR', { country: countryName(adr[1]!) });
  const key = `body.${code}`;
  const words = tDynamic(key);
  return words === key ? fallback : words;
}
