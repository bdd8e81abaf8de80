package main

import (
	"context"
	"fmt"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// adminClient is a clientset that trusts the generated CA and authenticates as the admin, the
// same credentials the admin kubeconfig will carry (so readiness also proves the kubeconfig works).
func adminClient(server string, ca []byte, token string) (*kubernetes.Clientset, error) {
	return kubernetes.NewForConfig(&rest.Config{
		Host:            server,
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{CAData: ca},
		Timeout:         5 * time.Second,
	})
}

// waitReadyz polls GET /readyz until it answers "ok". The CA file appears only once the apiserver
// has completed its options, so a missing file is just "not yet".
func waitReadyz(ctx context.Context, server, caFile, token string) error {
	var last error
	for {
		if ca, err := os.ReadFile(caFile); err != nil {
			last = err
		} else if client, err := adminClient(server, ca, token); err != nil {
			last = err
		} else {
			body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
			if err == nil && string(body) == "ok" {
				return nil
			}
			last = fmt.Errorf("/readyz: %v %s", err, body)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w; last: %v", ctx.Err(), last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ensureDefaultNamespace creates "default" unless it exists. kube-apiserver's system-namespaces
// controller creates it too, but in a goroutine started by a post-start hook that does not gate
// /readyz, so right after readiness it may still be missing; whoever is second gets AlreadyExists.
func ensureDefaultNamespace(ctx context.Context, server string, ca []byte, token string) error {
	client, err := adminClient(server, ca, token)
	if err != nil {
		return err
	}
	namespaces := client.CoreV1().Namespaces()
	if _, err := namespaces.Get(ctx, metav1.NamespaceDefault, metav1.GetOptions{}); err == nil {
		return nil
	} else if !apierrors.IsNotFound(err) {
		return err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: metav1.NamespaceDefault}}
	if _, err := namespaces.Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}
