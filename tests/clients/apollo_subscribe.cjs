// Apollo Client 4 with graphql-ws (GraphQLWsLink), as an app would use them: subscribe to one
// report's status and print each pushed update as a JSON line; exit 0 when the server completes.
// Usage: node apollo_subscribe.cjs <frontend dir> <ws url> <token> <report id>
const { createRequire } = require('node:module');
const path = require('node:path');

const [frontend, url, token, reportId] = process.argv.slice(2);
// The packages are devDependencies of frontend/ (installed by `make install`, never at run time).
const load = createRequire(path.join(frontend, 'package.json'));
const { ApolloClient, InMemoryCache, gql } = load('@apollo/client');
const { GraphQLWsLink } = load('@apollo/client/link/subscriptions');
const { createClient } = load('graphql-ws');
const WebSocket = load('ws');

const wsClient = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${token}` },
  retryAttempts: 0,
});
const client = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });

const STATUS = gql`
  subscription ($id: ID!) {
    reportStatus(id: $id) {
      id
      status
      valuesStored
    }
  }
`;

client.subscribe({ query: STATUS, variables: { id: reportId } }).subscribe({
  next: (result) => {
    if (result.error) {
      console.log(JSON.stringify({ error: result.error.message, errors: result.error.errors ?? null }));
      return;
    }
    console.log(JSON.stringify(result.data.reportStatus));
  },
  error: (error) => {
    console.log(JSON.stringify({ error: String(error && error.message ? error.message : error) }));
    wsClient.dispose().finally(() => process.exit(1));
  },
  complete: () => {
    wsClient.dispose().finally(() => process.exit(0));
  },
});
