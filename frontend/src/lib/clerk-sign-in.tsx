// Clerk's sign-in form, loaded only in Clerk mode.
import { SignIn } from "@clerk/clerk-react";

export default function ClerkSignIn({ redirectTo }: { redirectTo: string }) {
  return <SignIn routing="hash" forceRedirectUrl={redirectTo} signUpForceRedirectUrl={redirectTo} />;
}
