// The 403 and 404 pages: only the header (account, nav, log out).
'use strict';

Console.run(() => Console.start(''));
