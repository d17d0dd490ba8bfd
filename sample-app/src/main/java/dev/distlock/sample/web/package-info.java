/**
 * How lock failures map to HTTP responses.
 */
@NullMarked
package dev.distlock.sample.web;

import org.jspecify.annotations.NullMarked;
