package dev.streamsight.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that makes stream threads die on purpose (or calls the failure policy
 * directly), so that {@link StreamThreadDeathCheck} does not fail it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProvokesStreamThreadDeath {
}
