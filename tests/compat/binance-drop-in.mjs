// tiagosiebler's `binance` USDMClient, unchanged except for baseUrl and the bot's client certificate.
// It signs into the query string (ccxt signs into the form body); the gateway accepts both.
import fs from 'node:fs';
import https from 'node:https';
import { USDMClient } from 'binance';

const { GATEWAY, CA, CERT, KEY } = process.env;
const httpsAgent = new https.Agent({ ca: fs.readFileSync(CA), cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY), keepAlive: true });
const client = new USDMClient(
  { api_key: 'dummy-api-key-the-gateway-replaces', api_secret: 'dummy-secret-the-gateway-replaces', baseUrl: GATEWAY.replace(/\/$/, '') },
  { httpsAgent },
);

const result = {};
result.symbols = (await client.getExchangeInfo()).symbols.length;
result.last = Number((await client.getSymbolPriceTicker({ symbol: 'BTCUSDT' })).price);
result.usdt = Number((await client.getBalanceV3()).find((b) => b.asset === 'USDT').balance);
const order = await client.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 20000 });
result.orderId = String(order.orderId);
result.orderStatus = order.status;
result.canceledStatus = (await client.cancelOrder({ symbol: 'BTCUSDT', orderId: order.orderId })).status;
console.log(JSON.stringify(result));
