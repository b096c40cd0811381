/*
 * Partner Gateway GraphiQL bootstrap.
 *
 * Lives in a file rather than an inline <script> so the page works under a
 * Content-Security-Policy of `script-src 'self'` (no 'unsafe-inline').
 * Everything page-specific comes from data-* attributes on the root element,
 * which lets the server change the endpoint without touching this file.
 */
(function () {
  "use strict";

  var root = document.getElementById("graphiql");
  var endpoint = root.getAttribute("data-endpoint") || "/graphql";
  var defaultQuery = root.getAttribute("data-default-query");

  // A relative URL keeps requests same-origin, so the browser sends no CORS
  // preflight and the gateway needs no CORS configuration for GraphiQL.
  var fetcher = GraphiQL.createFetcher({ url: endpoint });

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      // GraphiQL ignores defaultQuery once the user has a saved tab, so this
      // only guides first-time visitors.
      defaultQuery: defaultQuery === null ? undefined : defaultQuery,
      // Every real query needs a bearer token; the Headers tab is where users
      // paste it, so show it from the start.
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: "headers",
      // Saves re-pasting the token on every reload. The token stays in this
      // browser's localStorage for this origin only.
      shouldPersistHeaders: true,
    })
  );
})();
