/** RFC 8693 grant type of the data-plane token exchange. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** `subject_token_type` of the exchange: the subject is an OIDC ID token. */
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
/** The only audience the data-plane exchange accepts (others get `invalid_target`). */
export const KNOXCALL_AUDIENCE = 'knoxcall:gateway';
