// Runs graphql-http's server audits against a live gateway and prints the results as JSON.
//
//   AUDIT_URL=http://127.0.0.1:8000/graphql AUDIT_TOKEN=<bearer> node audit.mjs
//
// Authentication and the CSRF preflight header are this gateway's policy, not the spec's, so
// every audit request carries them (AUDIT_PREFLIGHT_HEADER names the header); nothing else
// about the audits' requests is changed.
import { serverAudits } from 'graphql-http';

const url = process.env.AUDIT_URL;
const token = process.env.AUDIT_TOKEN;
const preflightHeader = process.env.AUDIT_PREFLIGHT_HEADER || 'GraphQL-Require-Preflight';
if (!url || !token) {
  console.error('AUDIT_URL and AUDIT_TOKEN are required');
  process.exit(2);
}

function authenticatedFetch(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  headers.set(preflightHeader, 'yes');
  return fetch(input, { ...init, headers });
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: authenticatedFetch })) {
  const result = await audit.fn();
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.responseStatus = result.response.status;
    try {
      entry.responseBody = (await result.response.text()).slice(0, 500);
    } catch {
      // The audit already read the body; the status and reason say enough.
    }
  }
  results.push(entry);
}
console.log(JSON.stringify(results, null, 2));
