// ccxt pro's binanceusdm, unchanged except for where it connects (REST and WebSocket: the gateway) and the bot's
// client certificate (ccxt's documented `agent` option reaches its WebSocket client). Dummy keys: the gateway signs.
import fs from 'node:fs';
import https from 'node:https';
import ccxt from 'ccxt';
import { Agent, fetch } from 'undici';

const { GATEWAY, CA, CERT, KEY } = process.env;
const tls = { ca: fs.readFileSync(CA), cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY) };
const mutualTls = new Agent({ connect: tls });
const exchange = new ccxt.pro.binanceusdm({
  apiKey: 'dummy-api-key-the-gateway-replaces',
  secret: 'dummy-secret-the-gateway-replaces',
  fetchImplementation: (url, params) => fetch(url, { ...params, dispatcher: mutualTls }),
  options: { fetchCurrencies: false },
});
exchange.agent = new https.Agent(tls);
for (const api of ['fapiPublic', 'fapiPublicV2', 'fapiPublicV3', 'fapiPrivate', 'fapiPrivateV2', 'fapiPrivateV3']) {
  exchange.urls.api[api] = GATEWAY.replace(/\/$/, '') + new URL(exchange.urls.api[api]).pathname;
}
exchange.urls.api.ws.future = GATEWAY.replace(/^https/, 'wss').replace(/\/$/, '') + '/ws';

const symbol = 'BTC/USDT:USDT';
const result = {};
setTimeout(() => { console.error('timed out; so far: ' + JSON.stringify(result)); process.exit(1); }, 40_000).unref();
await exchange.loadMarkets();
result.tickerLast = (await exchange.watchTicker(symbol)).last;

// The local book is built the documented way (REST snapshot + diff stream, checked by update ids); a second update
// applied on top must leave it uncrossed.
await exchange.watchOrderBook(symbol);
const book = await exchange.watchOrderBook(symbol);
result.bookLevels = book.bids.length;
result.bookCrossed = book.bids[0][0] >= book.asks[0][0];

const watching = exchange.watchOrders(symbol);
await new Promise((resolve) => setTimeout(resolve, 1500));
const order = await exchange.createOrder(symbol, 'limit', 'buy', 0.01, 20000);
const watched = (await watching)[0];
result.orderId = order.id;
result.watchedOrderId = watched.id;
result.watchedStatus = watched.status;
await exchange.cancelOrder(order.id, symbol);

// Closing rejects the futures of streams still subscribed (the ticker's, the book's) with ExchangeClosedByUser, which
// nothing awaits any more; only that rejection is expected here.
process.on('unhandledRejection', (error) => {
  if (!(error instanceof ccxt.ExchangeClosedByUser)) { console.error(error); process.exit(1); }
});
await exchange.close();
await mutualTls.close();
console.log(JSON.stringify(result));
process.exit(0); // ccxt's agents keep sockets alive
