// Koa 2 under its npm alias, typed as Koa (the adapter uses what both versions share).
declare module 'koa2' {
  import Koa = require('koa');
  export = Koa;
}
