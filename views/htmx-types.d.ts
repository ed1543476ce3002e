/// <reference types="@kitajs/html/htmx.d.ts" />
