import type { CodegenConfig } from "@graphql-codegen/cli";

// The checked-in contract is the schema source: no running server needed to generate.
const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  // Node's ES modules need the extension in relative imports.
  importExtension: ".js",
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Money and dates travel as strings (exact decimals, ISO 8601): typed so, never `unknown`; an
        // unmapped custom scalar fails generation.
        strictScalars: true,
        scalars: { Decimal: "string", DateTime: "string" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
