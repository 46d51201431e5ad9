// The dashboard's only way to the data: the public GraphQL API at /graphql, as any client would use it.
import { createClient, type Client } from 'graphql-ws';

/** A GraphQL error as the API sends it, with `extensions.code` (BAD_USER_INPUT, UNAUTHENTICATED…). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function unwrap<T>(body: GraphQLResponse<T>): T {
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code);
  }
  return body.data as T;
}

function authorization(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** POST one query with its variables; the bearer token is sent when the user entered one. */
export async function query<T>(
  document: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...authorization(token) },
    body: JSON.stringify({ query: document, variables }),
  });
  return unwrap((await response.json()) as GraphQLResponse<T>);
}

/**
 * A GraphQL multipart request (operations, map, file) carrying ``file`` as ``$file``, and ``variables``.
 * XMLHttpRequest rather than fetch, because only it reports upload progress.
 */
export function upload<T>(
  document: string,
  file: File,
  token: string | null,
  onProgress: (fraction: number) => void,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: document, variables: { ...variables, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/graphql');
    for (const [name, value] of Object.entries(authorization(token))) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onerror = () => reject(new ApiError('the upload did not reach the service'));
    request.onload = () => {
      try {
        resolve(unwrap(JSON.parse(request.responseText) as GraphQLResponse<T>));
      } catch (error) {
        reject(error instanceof ApiError ? error : new ApiError(`HTTP ${request.status}`));
      }
    };
    request.send(form);
  });
}

let socket: Client | null = null;

/**
 * Follow a subscription over graphql-transport-ws; ``onData`` gets each pushed result.
 * Resolves when the server completes it, rejects on an error (the caller may then poll).
 */
export function subscribe<T>(
  document: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
): Promise<void> {
  socket ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    retryAttempts: 0,
  });
  return new Promise((resolve, reject) => {
    socket!.subscribe<T>(
      { query: document, variables },
      {
        next: (result) => {
          try {
            onData(unwrap(result as GraphQLResponse<T>));
          } catch (error) {
            reject(error);
          }
        },
        error: (error) => reject(error instanceof Error ? error : new ApiError('subscription failed')),
        complete: resolve,
      },
    );
  });
}
