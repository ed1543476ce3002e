import type { ViewerModel } from '../../src/web/view-models/viewer.ts';
import { Layout } from '../components/layout.tsx';

interface Operation {
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly parameters?: readonly { name: string; in: string; required?: boolean; schema?: unknown }[];
  readonly requestBody?: { content?: Record<string, { schema?: unknown }> };
  readonly responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

export interface OpenApiSpec {
  readonly info?: { title?: string; version?: string; description?: string };
  readonly paths?: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The OpenAPI document rendered here, without Scalar or Swagger UI: both load their code from a
 * CDN, and this dashboard loads nothing from outside. Every GET operation has a "Try it" form
 * (views/public/docs.js) that sends the request from this page and shows the answer.
 */
export function DocsPage(props: { viewer: ViewerModel; spec: OpenApiSpec; specPath: string }) {
  const { spec } = props;
  const ops = Object.entries(spec.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m]! })));
  return (
    <Layout title="API" viewer={props.viewer} active="docs" scripts={['/assets/docs.js']}>
      <h1 safe>{`${spec.info?.title ?? 'API'} ${spec.info?.version ?? ''}`}</h1>
      <p safe>{spec.info?.description ?? ''}</p>
      <p>
        Machine-readable: <a href={props.specPath} safe>{props.specPath}</a> (OpenAPI 3).
      </p>
      {ops.map(({ path, method, op }) => {
        const body = op.requestBody?.content ? Object.values(op.requestBody.content)[0]?.schema : undefined;
        const ok = op.responses?.['200'];
        const answer = ok?.content ? Object.values(ok.content)[0]?.schema : undefined;
        return (
          <section class="panel wide op" data-testid="operation">
            <h2>
              <span class={`method ${method}`} safe>{method.toUpperCase()}</span> <code safe>{path}</code>
            </h2>
            <p safe>{op.summary ?? ''}</p>
            {op.description ? <p class="muted" safe>{op.description}</p> : ''}
            {op.parameters?.length ? (
              <ul>
                {op.parameters.map((p) => (
                  <li safe>{`${p.in} ${p.name}${p.required ? ' (required)' : ''}: ${describeSchema(p.schema)}`}</li>
                ))}
              </ul>
            ) : (
              ''
            )}
            {body ? (
              <>
                <h3 class="small muted">Body</h3>
                <pre class="schema" safe>
                  {JSON.stringify(body, null, 2)}
                </pre>
              </>
            ) : (
              ''
            )}
            {method === 'get' ? <TryIt path={path} parameters={op.parameters ?? []} /> : ''}
            {answer ? (
              <details data-testid="response-schema">
                <summary safe>{`200 answer: ${ok?.description ?? 'JSON'}`}</summary>
                <pre class="schema" safe>
                  {JSON.stringify(answer, null, 2)}
                </pre>
              </details>
            ) : (
              ''
            )}
          </section>
        );
      })}
    </Layout>
  );
}

/** A GET operation's "Try it" form: docs.js sends it from this page and shows the answer. */
function TryIt(props: { path: string; parameters: NonNullable<Operation['parameters']> }) {
  const params = props.parameters.filter((p) => p.in === 'path' || p.in === 'query');
  return (
    <form class="try inline-form" data-path={props.path} data-testid="try-it">
      {params.map((p) => (
        <label class="small">
          <span safe>{`${p.name}${p.required ? ' *' : ''}`}</span>{' '}
          <input name={p.name} data-in={p.in} required={p.in === 'path'} size="8" />
        </label>
      ))}
      <button type="submit">Try it</button>
      <pre class="schema try-out" hidden></pre>
    </form>
  );
}

/** A parameter's JSON schema in words: "whole number from 1 to 100, default 20", "one of full, summary". */
export function describeSchema(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return 'any value';
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) return ((s.anyOf ?? s.oneOf) as unknown[]).map(describeSchema).join(' or ');
  const parts: string[] = [];
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map(String).join(', ')}`);
  else if (s.const !== undefined) parts.push(`exactly ${String(s.const)}`);
  else parts.push(s.type === 'integer' ? 'whole number' : typeof s.type === 'string' ? s.type : 'value');
  const min = s.minimum ?? s.exclusiveMinimum;
  if (min !== undefined && s.maximum !== undefined) parts.push(`from ${String(min)} to ${String(s.maximum)}`);
  else if (min !== undefined) parts.push(`at least ${String(min)}`);
  else if (s.maximum !== undefined) parts.push(`at most ${String(s.maximum)}`);
  if (typeof s.pattern === 'string') parts.push(`matching ${s.pattern}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`${String(s.minLength ?? 0)}–${String(s.maxLength ?? '∞')} characters`);
  if (s.default !== undefined) parts.push(`default ${String(s.default)}`);
  if (typeof s.description === 'string') parts.push(`(${s.description})`);
  return parts.join(', ');
}
