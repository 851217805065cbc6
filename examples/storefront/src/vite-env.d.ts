/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_DOCUMENTS?: "ids" | "text";
  readonly VITE_API_KEY?: string;
  readonly VITE_GRAPHQL_URL?: string;
}
