/**
 * The floor plan, as rules `npm test` checks (scripts/check-architecture.ts; ARCHITECTURE.md "Floors").
 *
 * From the bottom up: src/domain (pure) → src/db, src/config.ts → src/context.ts → src/http (the HTTP kit) →
 * src/auth, src/i18n, src/notify, src/payments, src/pdf (infrastructure) → src/modules/<capability> → src/jobs, src/app,
 * src/cli (the top: assembly and entry points, which nothing below imports). A floor imports only floors below
 * it. Between capabilities: each is used through its door, `index.ts`, which re-exports what others may use; only
 * src/app takes a capability's routes; and the folders form no circle (checked by the script, which
 * dependency-cruiser's rules cannot express). The web apps: web/ui is shared by both and imports
 * neither; each app's app.tsx is its top; the web may import the server's pure src/domain only.
 */

const floor = (name, from, forbidden) => ({
  name,
  severity: 'error',
  comment: `${from} may not import ${forbidden}: that runs up the floor plan`,
  from: { path: from },
  to: { path: forbidden },
});

module.exports = {
  forbidden: [
    floor('domain-is-pure', '^src/domain/', '^src/(?!domain/)'),
    floor(
      'db-below-http',
      '^src/(db/|config\\.ts)',
      '^src/(context\\.ts|http|auth|i18n|notify|payments|pdf|modules|jobs|app|cli)',
    ),
    floor('context-below-http', '^src/context\\.ts', '^src/(http|auth|i18n|notify|payments|pdf|modules|jobs|app|cli)'),
    floor('http-kit-below-infrastructure', '^src/http/', '^src/(auth|i18n|notify|payments|pdf|modules|jobs|app|cli)/'),
    floor('infrastructure-below-modules', '^src/(auth|i18n|notify|payments|pdf)/', '^src/(modules|jobs|app|cli)/'),
    // The server's words (catalogues and formats) use the pure domain only, so e-mails and PDFs can both use them.
    floor('words-use-only-the-domain', '^src/i18n/', '^src/(?!domain/|i18n/)'),
    floor('modules-below-the-top', '^src/modules/', '^src/(jobs|app|cli)/'),
    floor('jobs-below-the-assembly', '^src/jobs/', '^src/(app|cli)/'),
    floor('assembly-below-the-cli', '^src/app/', '^src/cli'),
    {
      name: 'through-the-door',
      severity: 'error',
      comment: 'Another capability is used through its index.ts only: the rest of its folder is its own',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/(?!index\\.ts$)', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'through-the-door-from-below-and-beside',
      severity: 'error',
      comment: 'Jobs and the CLI use a capability through its index.ts only',
      from: { path: '^src/(?!app/|modules/)' },
      to: { path: '^src/modules/[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'inside-a-module',
      severity: 'error',
      comment: 'Within a capability files import each other directly; its own index.ts is for the others',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/$1/index\\.ts$' },
    },
    {
      name: 'the-assembly-takes-routes-and-doors',
      severity: 'error',
      comment: "src/app registers each capability's routes and otherwise uses its index.ts",
      from: { path: '^src/app/' },
      to: { path: '^src/modules/[^/]+/(?!index\\.ts$|[a-z-]*routes\\.ts$)' },
    },
    {
      name: 'only-the-assembly-imports-routes',
      severity: 'error',
      comment: 'Routes are registered by src/app (business-api.ts, portal-api.ts, app.ts), never used by others',
      from: { path: '^src/(?!app/)' },
      to: { path: '^src/modules/[^/]+/[a-z-]*routes\\.ts$' },
    },
    {
      name: 'web-imports-only-the-pure-domain',
      severity: 'error',
      comment: 'The web apps run in a browser: of the server, only src/domain (pure, no Node APIs) is theirs',
      from: { path: '^web/' },
      to: { path: '^src/(?!domain/)' },
    },
    {
      name: 'web-ui-below-the-apps',
      severity: 'error',
      comment: 'web/ui is shared by both apps and imports neither',
      from: { path: '^web/ui/' },
      to: { path: '^web/(portal|backoffice)/' },
    },
    {
      name: 'web-apps-apart',
      severity: 'error',
      comment: 'The portal and the back office share through web/ui only',
      from: { path: '^web/(portal|backoffice)/' },
      to: { path: '^web/(portal|backoffice)/', pathNot: '^web/$1/' },
    },
    {
      name: 'nothing-imports-a-web-app-top',
      severity: 'error',
      comment: "An app's app.tsx is its top (routes and lazy screens): only its main.tsx imports it",
      from: { path: '^web/', pathNot: '^web/[^/]+/main\\.tsx$' },
      to: { path: '^web/[^/]+/app\\.tsx$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other, directly or through others',
      from: { path: '^(src|web)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
