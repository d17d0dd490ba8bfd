/**
 * SpEL evaluation of lock keys, parsed once and cached per method.
 */
@NullMarked
package dev.distlock.expression;

import org.jspecify.annotations.NullMarked;
