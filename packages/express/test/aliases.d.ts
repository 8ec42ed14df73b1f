// Express 4 under its npm alias, typed as Express (the adapter uses what both versions share).
declare module 'express4' {
  import express = require('express');
  export = express;
}
