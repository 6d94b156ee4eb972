declare module "http_ece" {
  const ece: {
    decrypt(buffer: Buffer, params: { version: string; privateKey: unknown; authSecret: string; dh?: string }): Buffer;
    encrypt(buffer: Buffer, params: Record<string, unknown>): Buffer;
  };
  export default ece;
}
