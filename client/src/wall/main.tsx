// Entry of the wall display (/wall): a read-only kiosk page, its own bundle (client/wall.html).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { wallI18n } from './i18n.ts';
import { wallQueryClient } from './api.ts';
import { WallApp } from './wall-app.tsx';
import '../base.css';
import './wall.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from wall.html');

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={wallI18n}>
      <QueryClientProvider client={wallQueryClient}>
        <WallApp />
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);
