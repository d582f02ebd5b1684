// The desk's small behaviours (keyboard shortcuts, selection, refresh); every page works without them.
(function () {
  "use strict";
})();
