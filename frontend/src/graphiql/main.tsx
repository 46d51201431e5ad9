// GraphiQL served by the service itself (/graphql): every asset is bundled, nothing comes from a CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import { examples, welcome } from './examples';
import './examples.css';

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
const fetcher = createGraphiQLFetcher({ url: '/graphql', wsClient: createClient({ url: wsUrl }) });

/** A side panel listing docs/queries/: a click puts the example into the editor. */
function ExamplesPanel() {
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  return (
    <div className="examples">
      <div className="graphiql-doc-explorer-title">例 Examples</div>
      <p>docs/queries/</p>
      <ul>
        {[{ name: 'welcome', summary: 'The default tab', query: welcome }, ...examples].map((example) => (
          <li key={example.name}>
            <button
              type="button"
              className="graphiql-un-styled"
              data-example={example.name}
              onClick={() => queryEditor?.setValue(example.query)}
            >
              <strong>{example.name}</strong>
              <br />
              <small>{example.summary}</small>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const examplesPlugin: GraphiQLPlugin = {
  title: '例 Examples',
  icon: () => <span aria-hidden="true">例</span>,
  content: ExamplesPanel,
};

function Playground() {
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={[examplesPlugin]}
      defaultTabs={[{ query: welcome }, ...examples.map((example) => ({ query: example.query }))]}
      defaultEditorToolsVisibility={true}
    />
  );
}

createRoot(document.getElementById('root')!).render(<Playground />);
