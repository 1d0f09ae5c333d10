/**
 * @internal `client[LAZY_VIEW](source)`: a view whose defaults are made from `source` on
 * first use (see ClientContext). A registry symbol, like the client brand: the adapter entry
 * and the client may come from different builds of the package loaded in one process. In a
 * file of its own so the adapter entry can name it without the client's declarations.
 */
export const LAZY_VIEW: unique symbol = Symbol.for('knoxcall.view.lazy') as never;
