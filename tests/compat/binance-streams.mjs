// tiagosiebler's `binance` WebsocketClient, unchanged except for wsUrl/baseUrl (the gateway) and the bot's client
// certificate. It routes market topics to /market/stream and user data to /private/stream?listenKey=.
import fs from 'node:fs';
import https from 'node:https';
import { USDMClient, WebsocketClient } from 'binance';

const { GATEWAY, CA, CERT, KEY } = process.env;
const agent = new https.Agent({ ca: fs.readFileSync(CA), cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY), keepAlive: true });
const keys = { api_key: 'dummy-api-key-the-gateway-replaces', api_secret: 'dummy-secret-the-gateway-replaces' };
const baseUrl = GATEWAY.replace(/\/$/, '');
const rest = new USDMClient({ ...keys, baseUrl }, { httpsAgent: agent });
const ws = new WebsocketClient({
  ...keys,
  wsUrl: baseUrl.replace(/^https/, 'wss'),
  wsOptions: { agent },
  restOptions: { baseUrl },
  requestOptions: { httpsAgent: agent },
});

const result = {};
const seen = new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error('no stream events within 20 s: ' + JSON.stringify(result))), 20_000);
  ws.on('message', (message) => {
    const data = message.data ?? message;
    if (data.e === 'aggTrade' && !result.aggTradeSymbol) {
      result.aggTradeSymbol = data.s;
    }
    if (data.e === 'ORDER_TRADE_UPDATE' && !result.orderEvent) {
      result.orderEvent = data.e;
      result.orderStatus = data.o.X;
      result.clientOrderId = data.o.c;
    }
    if (result.aggTradeSymbol && result.orderEvent) {
      resolve();
    }
  });
});

ws.subscribeAggregateTrades('BTCUSDT', 'usdm');
await ws.subscribeUsdFuturesUserDataStream();
await new Promise((resolve) => setTimeout(resolve, 1500));
const order = await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 20000, newClientOrderId: 'npm-ws-1' });
await seen;
await rest.cancelOrder({ symbol: 'BTCUSDT', orderId: order.orderId });
ws.closeAll(true);
console.log(JSON.stringify(result));
process.exit(0);
