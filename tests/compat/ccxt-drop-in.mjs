// ccxt's binanceusdm, unchanged except for where it connects: the gateway, with the bot's client certificate.
// The API key and secret are dummies; the gateway strips ccxt's signature and signs with its own key.
import fs from 'node:fs';
import ccxt from 'ccxt';
import { Agent, fetch } from 'undici';

const { GATEWAY, CA, CERT, KEY } = process.env;

// ccxt talks through undici's fetch; its documented `fetchImplementation` hook lets us add the client certificate.
const mutualTls = new Agent({ connect: { ca: fs.readFileSync(CA), cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY) } });
const exchange = new ccxt.binanceusdm({
  apiKey: 'dummy-api-key-the-gateway-replaces',
  secret: 'dummy-secret-the-gateway-replaces',
  fetchImplementation: (url, params) => fetch(url, { ...params, dispatcher: mutualTls }),
  options: { fetchCurrencies: false }, // otherwise loadMarkets calls the spot wallet API first
});
for (const api of ['fapiPublic', 'fapiPublicV2', 'fapiPublicV3', 'fapiPrivate', 'fapiPrivateV2', 'fapiPrivateV3']) {
  exchange.urls.api[api] = GATEWAY.replace(/\/$/, '') + new URL(exchange.urls.api[api]).pathname;
}

const symbol = 'BTC/USDT:USDT';
const result = {};
await exchange.loadMarkets();
result.markets = Object.keys(exchange.markets).length;
result.last = (await exchange.fetchTicker(symbol)).last;
result.usdt = (await exchange.fetchBalance()).total.USDT;
const order = await exchange.createOrder(symbol, 'limit', 'buy', 0.01, 20000);
result.orderId = order.id;
result.orderStatus = order.status;
result.canceledStatus = (await exchange.cancelOrder(order.id, symbol)).status;
console.log(JSON.stringify(result));
await mutualTls.close();
