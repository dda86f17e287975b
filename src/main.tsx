import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetchFirstMnistFiles } from './client/mnistPrefetch.ts';
import { App } from './ui/App.tsx';
import './ui/base.css';

// Before the first render: the data's download starts while React and the worker start up.
prefetchFirstMnistFiles();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
