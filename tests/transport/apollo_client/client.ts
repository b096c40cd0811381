import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { sha256 } from "crypto-hash";

export function createClient(uri: string, token: string, fetch?: typeof globalThis.fetch): ApolloClient {
  const http = new HttpLink({
    uri,
    fetch,
    headers: {
      authorization: `Bearer ${token}`,
      // A GET is a "simple" request to a browser: the gateway's CSRF prevention wants this header on it.
      "GraphQL-Require-Preflight": "1",
    },
  });
  // Queries go as GET with the document's SHA-256 only; on PERSISTED_QUERY_NOT_FOUND the link
  // sends the text and the hash once (POST), and the hash alone is enough from then on.
  const persistedQueries = new PersistedQueryLink({ sha256, useGETForHashedQueries: true });
  return new ApolloClient({ link: persistedQueries.concat(http), cache: new InMemoryCache() });
}
