import type { CodegenConfig } from "@graphql-codegen/cli";
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

// Types and documents from the checked-in contract (no running gateway needed). Every document carries its
// `sha256:<hex>` id (`__meta__.hash`) and src/gql/persisted-documents.json maps ids to documents: the production
// build sends ids only and emits that manifest, cut to the documents the bundle holds (vite.config.ts).
const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.tsx", "src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      // Graphcache needs `__typename` on every object: added to the documents themselves, so the gateway runs
      // (and the manifest holds) the exact text the cache reads.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" } },
      config: {
        strictScalars: true,
        scalars: { Decimal: "string", DateTime: "string" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
