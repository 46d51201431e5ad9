// Runs GraphQL operations through the real Apollo Client (InMemoryCache, no type policies) against
// a running service and reports what the cache could not normalise. Used by
// tests/e2e/test_apollo_cache.py: reads {url, nodeTypes, operations: [{name, query, variables}]}
// as JSON on stdin, writes {problems, entities} as JSON on stdout.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk));
  process.stdin.on('end', () => resolve(text));
}));

const problems = [];
// Apollo warns (console.warn / console.error) when it must replace an object it could not key.
for (const level of ['warn', 'error']) {
  console[level] = (...args) => problems.push(`apollo ${level}: ${args.map(String).join(' ')}`);
}

const cache = new InMemoryCache();
const client = new ApolloClient({ cache, link: new HttpLink({ uri: `${input.url}/graphql` }) });
const nodeTypes = new Set(input.nodeTypes);

for (const { name, query, variables } of input.operations) {
  const document = gql(query);
  const result = await client.query({ query: document, variables, fetchPolicy: 'network-only' });
  if (result.error) problems.push(`${name}: ${result.error.message}`);
  // What the cache gives back must be the whole answer: nothing lost by normalising it.
  const read = cache.readQuery({ query: document, variables });
  if (JSON.stringify(read) !== JSON.stringify(result.data)) problems.push(`${name}: the cache reads back a different answer`);
}

// An object of a Node type stored inside another entity instead of as an entity of its own
// is one the cache could not key.
const store = cache.extract();
function embedded(value, where) {
  if (Array.isArray(value)) value.forEach((item, i) => embedded(item, `${where}[${i}]`));
  else if (value && typeof value === 'object') {
    if (nodeTypes.has(value.__typename)) problems.push(`${value.__typename} not normalised at ${where}`);
    for (const [key, item] of Object.entries(value)) embedded(item, `${where}.${key}`);
  }
}
const entities = {};
for (const [key, entity] of Object.entries(store)) {
  const type = entity.__typename ?? key;
  entities[type] = (entities[type] ?? 0) + 1;
  for (const [field, value] of Object.entries(entity)) embedded(value, `${key}.${field}`);
}
process.stdout.write(JSON.stringify({ problems, entities }));
