import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { PaymentReturn } from "./pages/PaymentReturn";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);
// The sandbox payment page sends the buyer back here (in the window the storefront opened for it).
const returning = window.location.pathname === "/payment-return";
root.render(<StrictMode>{returning ? <PaymentReturn /> : <App />}</StrictMode>);
