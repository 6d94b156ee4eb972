import { StoreMessage } from "./store-message";

export default function NotFound() {
  return (
    <StoreMessage title="Nothing here" tone="warning">
      <p>There is no store at this address, or the page you asked for doesn&rsquo;t exist.</p>
      <p>Please check the link and try again.</p>
    </StoreMessage>
  );
}
