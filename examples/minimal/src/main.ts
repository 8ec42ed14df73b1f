/**
 * @module
 * `npm start -w @secondfactor/example-minimal`: the quick start's last line, serving on
 * http://localhost:3000.
 */
import { quickStartApp as app } from './app';

// readme:start
app.listen(3000);
// readme:end
