#!/usr/bin/env node
// Starts @vercel/cosmosdb-server (pinned in package.json) for the Cosmos store adapter's tests and for developers
// (scripts/cosmosdb-server.sh). Usage: node server.js [--host 127.0.0.1] [--port 0]. Prints one line,
// "Ready to accept HTTPS connections at HOST:PORT", once it listens (port 0 picks a free port).
//
// One correction to the package: its change feed. A change-feed request (GET .../docs with "A-IM: Incremental feed")
// resumes from the ETag of the previous response, sent back in If-None-Match. cosmosdb-server 1.0.1 answers every
// such request that carries an If-None-Match with 304 (lib/index.js), so a change feed never gets past its first page.
// This file gives each document write a log sequence number (_lsn, as Cosmos DB does) and answers change-feed requests
// the way the Cosmos DB REST API documents them: the documents written after the LSN in If-None-Match ("*" = now),
// oldest first, at most x-ms-max-item-count of them, with the last one's LSN as the ETag; 304 when there are none.
// The feed is that of a single partition key range (one physical partition), in LatestVersion mode: an updated
// document moves to its new LSN, a deleted one leaves the feed.
//
// And one fix: a point read of a document that does not exist, with a partition key, fails with 500 (the package
// dereferences the missing document) where Cosmos DB answers 404; this file answers 404.
// Everything else is the package's own behaviour.
"use strict";

const readDocument = require("@vercel/cosmosdb-server/lib/handler/read-document");
const partitionHeader = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header");

// Replaced before the package builds its route table (on the first require of its index), which then uses this one.
const packageReadDocument = readDocument.default;
readDocument.default = (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  const header = partitionHeader.default(req);
  if (collection.read() && header !== undefined) {
    const key = partitionHeader.parsePartitionKey(header, params.docId);
    if (!collection.document(params.docId, key).read()) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
  }
  return packageReadDocument(account, req, res, params);
};

const { createHttpsServer } = require("@vercel/cosmosdb-server");
const Items = require("@vercel/cosmosdb-server/lib/account/items").default;
const Documents = require("@vercel/cosmosdb-server/lib/account/documents").default;

let lastLsn = 0;

// Every create, replace and upsert of a document ends in _set, with the document as stored.
Documents.prototype._set = function setWithLsn(data) {
  lastLsn += 1;
  return Items.prototype._set.call(this, { ...data, _lsn: lastLsn });
};

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const host = option("--host", "127.0.0.1");
const port = parseInt(option("--port", "0"), 10);

const isChangeFeed = req =>
  req.method === "GET" &&
  /^incremental feed$/i.test(String(req.headers["a-im"] || "")) &&
  /^\/dbs\/[^/]+\/colls\/[^/]+\/docs\/?(\?.*)?$/.test(req.url);

// "\"12\"" or "12" → 12; "*" → now; absent → the beginning.
const startingAfter = header => {
  if (header === undefined) return 0;
  const value = String(header).replace(/"/g, "").trim();
  if (value === "*") return lastLsn;
  const lsn = Number.parseInt(value, 10);
  return Number.isFinite(lsn) && lsn >= 0 ? lsn : 0;
};

const server = createHttpsServer({ keepAlive: true });
const [packageHandler] = server.listeners("request");
server.removeAllListeners("request");
server.on("request", (req, res) => {
  if (!isChangeFeed(req)) {
    packageHandler(req, res);
    return;
  }

  // Ask the package for every document of the collection (its read-documents route, unpaged), then pick the changes.
  const after = startingAfter(req.headers["if-none-match"]);
  const requested = Number.parseInt(String(req.headers["x-ms-max-item-count"] || "-1"), 10);
  const maxItems = requested > 0 ? requested : Number.POSITIVE_INFINITY;
  delete req.headers["if-none-match"];
  delete req.headers["x-ms-max-item-count"];
  delete req.headers["x-ms-continuation"];

  const end = res.end.bind(res);
  res.end = body => {
    if (res.statusCode !== 200) {
      end(body);
      return;
    }

    const changes = JSON.parse(body)
      .Documents.filter(d => d._lsn > after)
      .sort((a, b) => a._lsn - b._lsn)
      .slice(0, maxItems);
    res.removeHeader("x-ms-continuation");
    if (changes.length === 0) {
      res.statusCode = 304;
      res.setHeader("etag", `"${after}"`);
      res.setHeader("x-ms-item-count", "0");
      end();
      return;
    }

    res.setHeader("etag", `"${changes[changes.length - 1]._lsn}"`);
    res.setHeader("x-ms-item-count", String(changes.length));
    end(JSON.stringify({ Documents: changes, _count: changes.length }));
  };
  packageHandler(req, res);
});

server.listen(port, host, () => {
  const address = server.address();
  // eslint-disable-next-line no-console
  console.log(`Ready to accept HTTPS connections at ${address.address}:${address.port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
