/**
 * JDBC lock store: one table in the application's own database.
 */
@NullMarked
package dev.distlock.jdbc;

import org.jspecify.annotations.NullMarked;
