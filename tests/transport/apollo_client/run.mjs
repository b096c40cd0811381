// Runs queries through Apollo Client and its persisted-query link (client.ts, compiled to build/)
// against a live gateway, and prints as JSON what went over the wire and what the client answered.
//
//   GATEWAY_URL=http://127.0.0.1:8000/graphql GATEWAY_TOKEN=<bearer> \
//   QUERIES='["query Viewer { viewer { account { name } } }"]' [ACCEPT=application/json] node run.mjs
//
// ACCEPT replaces the Accept header Apollo Client sends (application/graphql-response+json first),
// to see the link against the legacy application/json answers too; nothing else is changed.
import { gql } from '@apollo/client';
import { createClient } from './build/client.js';

const url = process.env.GATEWAY_URL;
const token = process.env.GATEWAY_TOKEN;
const queries = JSON.parse(process.env.QUERIES || '[]');
if (!url || !token || !queries.length) {
  console.error('GATEWAY_URL, GATEWAY_TOKEN and QUERIES are required');
  process.exit(2);
}

const requests = [];
const jsonParameters = new Set(['variables', 'extensions']);

async function recordingFetch(input, init = {}) {
  const headers = new Headers(init.headers);
  if (process.env.ACCEPT) headers.set('accept', process.env.ACCEPT);
  const address = new URL(String(input));
  const method = init.method || 'GET';
  const sent = method === 'GET'
    ? Object.fromEntries([...address.searchParams].map(([key, value]) => [key, jsonParameters.has(key) ? JSON.parse(value) : value]))
    : JSON.parse(init.body);
  const response = await fetch(input, { ...init, headers });
  const text = await response.clone().text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  requests.push({
    method,
    accept: headers.get('accept'),
    query: sent.query ?? null,
    extensions: sent.extensions ?? null,
    status: response.status,
    contentType: response.headers.get('content-type'),
    cacheControl: response.headers.get('cache-control'),
    body,
  });
  return response;
}

const client = createClient(url, token, recordingFetch);
const results = [];
for (const text of queries) {
  try {
    const { data } = await client.query({ query: gql(text), fetchPolicy: 'network-only' });
    results.push({ data });
  } catch (error) {
    results.push({
      error: error.name,
      message: error.message,
      codes: (error.errors || []).map((e) => e.extensions?.code ?? null),
      statusCode: error.statusCode ?? null,
    });
  }
}
console.log(JSON.stringify({ requests, results }, null, 2));
