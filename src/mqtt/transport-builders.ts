import { auth, io, iot } from "aws-iot-device-sdk-v2";
import { ConfigError } from "../config/errors.js";
import type { ConnectionConfig, CustomAuthConfig } from "../config/schema.js";
import { regionOfEndpoint } from "../config/transport.js";

/**
 * The AWS IoT SDK's own config builder for each transport (docs/configuration.md, Transports);
 * build-clients.ts adds the settings every transport shares. Undefined: plain TCP (transport
 * `mtls` without tls), which no AWS builder makes.
 */

/** The journal's `transport` of a connection without TLS (local brokers, tests): no AWS IoT transport. */
export const PLAIN_TCP_TRANSPORT = "tcp";

/** The journal's `transport` of a connection: its configured one, or `tcp` for plain TCP. */
export function journalTransport(c: ConnectionConfig): string {
  return c.transport === "mtls" && c.tls === undefined ? PLAIN_TCP_TRANSPORT : c.transport;
}

/** The setting a transport problem is reported under when no config path is known. */
function transportSetting(c: ConnectionConfig): string {
  return `connection '${c.name ?? c.client_id}' transport`;
}

/**
 * Refuses what this platform's aws-crt cannot do for the transport: `mtls_alpn` needs ALPN, which
 * the SDK's mTLS builders offer (`x-amzn-mqtt-ca`) only where `io.is_alpn_available()`.
 */
export function checkTransportSupport(c: ConnectionConfig, setting = transportSetting(c)): void {
  if (c.transport === "mtls_alpn" && !io.is_alpn_available()) {
    throw new ConfigError(setting, "mtls_alpn needs TLS ALPN, which aws-crt does not offer on this platform; use mtls (8883) or websocket_sigv4 (443)");
  }
}

function clientPair(c: ConnectionConfig): { cert: string; key: string } {
  if (c.tls?.cert_file === undefined || c.tls.key_file === undefined) {
    throw new ConfigError(`connection '${c.name ?? c.client_id}' tls`, `transport ${c.transport} needs cert_file and key_file`);
  }
  return { cert: c.tls.cert_file, key: c.tls.key_file };
}

function region(c: ConnectionConfig): string {
  const r = c.region ?? regionOfEndpoint(c.endpoint);
  if (r === undefined)
    throw new ConfigError(
      `connection '${c.name ?? c.client_id}' region`,
      `required with transport websocket_sigv4 (the endpoint '${c.endpoint}' names no AWS region)`,
    );
  return r;
}

// The SDK URL-encodes the signature on three of its four custom-auth paths, not on MQTT 5 over
// WebSocket; encoding it here, by the SDK's own rule (left alone when it holds a '%'), sends the
// same username on all four.
function encodedSignature(signature: string | undefined): string | undefined {
  return signature === undefined || signature.includes("%") ? signature : encodeURIComponent(signature);
}

function customAuth(c: ConnectionConfig): CustomAuthConfig {
  if (c.custom_auth === undefined) throw new ConfigError(`connection '${c.name ?? c.client_id}' custom_auth`, "required with transport custom_auth");
  return c.custom_auth;
}

/** How one SDK makes the config builder of each transport. */
interface TransportBuilders<B> {
  mtls(cert: string, key: string): B;
  websocketSigv4(region: string): B;
  customAuth(a: CustomAuthConfig): B;
  withCa(builder: B, caFile: string): void;
}

/**
 * The transport's builder, from the connection's settings checked the same way for both SDKs
 * (undefined: plain TCP). mtls and mtls_alpn share one builder: it offers ALPN x-amzn-mqtt-ca,
 * which AWS IoT needs on 443 only.
 */
function transportBuilder<B>(c: ConnectionConfig, make: TransportBuilders<B>): B | undefined {
  checkTransportSupport(c);
  let builder: B;
  switch (c.transport) {
    case "mtls":
    case "mtls_alpn": {
      if (c.transport === "mtls" && c.tls === undefined) return undefined;
      const { cert, key } = clientPair(c);
      builder = make.mtls(cert, key);
      break;
    }
    case "websocket_sigv4":
      builder = make.websocketSigv4(region(c));
      break;
    case "custom_auth":
      builder = make.customAuth(customAuth(c));
      break;
  }
  if (c.tls?.ca_file !== undefined) make.withCa(builder, c.tls.ca_file);
  return builder;
}

/** The AWS IoT MQTT 5 config builder of the connection's transport (undefined: plain TCP). */
export function mqtt5Builder(c: ConnectionConfig): iot.AwsIotMqtt5ClientConfigBuilder | undefined {
  const B = iot.AwsIotMqtt5ClientConfigBuilder;
  return transportBuilder(c, {
    mtls: (cert, key) => B.newDirectMqttBuilderWithMtlsFromPath(c.endpoint, cert, key),
    websocketSigv4: (region) => B.newWebsocketMqttBuilderWithSigv4Auth(c.endpoint, { region, credentialsProvider: auth.AwsCredentialsProvider.newDefault() }),
    customAuth: (a) => {
      const config: iot.MqttConnectCustomAuthConfig = {
        authorizerName: a.authorizer_name,
        ...(a.username !== undefined ? { username: a.username } : {}),
        ...(a.password !== undefined ? { password: new TextEncoder().encode(a.password) /* MQTT 5 takes bytes: UTF-8 */ } : {}),
        ...(a.token_key_name !== undefined ? { tokenKeyName: a.token_key_name } : {}),
        ...(a.token_value !== undefined ? { tokenValue: a.token_value } : {}),
        ...(a.token_signature !== undefined ? { tokenSignature: encodedSignature(a.token_signature) } : {}),
      };
      return a.websocket ? B.newWebsocketMqttBuilderWithCustomAuth(c.endpoint, config) : B.newDirectMqttBuilderWithCustomAuth(c.endpoint, config);
    },
    withCa: (builder, caFile) => builder.withCertificateAuthorityFromPath(undefined, caFile),
  });
}

/** The AWS IoT MQTT 3.1.1 config builder of the connection's transport (undefined: plain TCP). */
export function mqtt311Builder(c: ConnectionConfig): iot.AwsIotMqttConnectionConfigBuilder | undefined {
  const B = iot.AwsIotMqttConnectionConfigBuilder;
  return transportBuilder(c, {
    mtls: (cert, key) => B.new_mtls_builder_from_path(cert, key),
    websocketSigv4: (region) => B.new_with_websockets({ region, credentials_provider: auth.AwsCredentialsProvider.newDefault() }),
    customAuth: (a) => {
      // Without options new_with_websockets signs nothing: the authorizer authenticates.
      const builder = a.websocket ? B.new_with_websockets() : B.new_default_builder();
      // Typed as a string, but undefined is the builder's own default: no password.
      builder.with_custom_authorizer(
        a.username ?? "",
        a.authorizer_name,
        encodedSignature(a.token_signature) ?? "",
        a.password as string,
        a.token_key_name,
        a.token_value,
      );
      return builder;
    },
    withCa: (builder, caFile) => builder.with_certificate_authority_from_path(undefined, caFile),
  });
}
