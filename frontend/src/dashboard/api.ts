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
let socketToken: string | null = null;

/** The WebSocket client, opened once per token: the token goes in connection_init, as browsers
 * cannot set headers on a WebSocket (a wrong one closes the socket with 4403). */
function socketFor(token: string | null): Client {
  if (socket && socketToken === token) return socket;
  void socket?.dispose();
  socketToken = token;
  socket = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  return socket;
}

/**
 * Follow a subscription over graphql-transport-ws; ``onData`` gets each pushed result.
 * Resolves when the server completes it, rejects on an error (the caller may then poll).
 */
export function subscribe<T>(
  document: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  token: string | null = null,
): Promise<void> {
  const client = socketFor(token);
  return new Promise((resolve, reject) => {
    client.subscribe<T>(
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

/** How a status reached the page: pushed over the WebSocket, or polled over HTTP. */
export type Channel = 'socket' | 'poll';

declare global {
  interface Window {
    /** Every report status the page received, in order, with its channel (for tests and debugging). */
    __statusChannel?: { id: string; status: string; channel: Channel }[];
  }
}

/** Note a received status in ``window.__statusChannel``. */
export function recordStatus(id: string, status: string, channel: Channel): void {
  (window.__statusChannel ??= []).push({ id, status, channel });
}
